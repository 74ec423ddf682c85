export { createLogger, redactLine, type Logger, type LogOptions } from './logger.ts';
