export { SETTINGS, type Config, type SettingName } from './schema.ts';
export { loadConfig, takeFlags, settingsHelp, ConfigError } from './load.ts';
