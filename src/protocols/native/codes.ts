// Native reply codes (protocol/README.md §Replies): Citadel's reply class plus, for errors,
// the Citadel error subcode. Handlers use these names, never bare numbers.

export const CLASS = {
  LISTING_FOLLOWS: 100,
  CIT_OK: 200,
  MORE_DATA: 300,
  SEND_LISTING: 400,
  ERROR: 500,
  START_CHAT_MODE: 800,
} as const;

/** Error subcodes: an error reply is ERROR + subcode (e.g. 575 message not found). */
export const ERR = {
  INTERNAL_ERROR: 10,
  TOO_BIG: 11,
  ILLEGAL_VALUE: 12,
  NOT_LOGGED_IN: 20,
  CMD_NOT_SUPPORTED: 30,
  SERVER_SHUTTING_DOWN: 31,
  PASSWORD_REQUIRED: 40,
  ALREADY_LOGGED_IN: 41,
  USERNAME_REQUIRED: 42,
  HIGHER_ACCESS_REQUIRED: 50,
  MAX_SESSIONS_EXCEEDED: 51,
  RESOURCE_BUSY: 52,
  RESOURCE_NOT_OPEN: 53,
  NOT_HERE: 60,
  INVALID_FLOOR_OPERATION: 61,
  NO_SUCH_USER: 70,
  FILE_NOT_FOUND: 71,
  ROOM_NOT_FOUND: 72,
  NO_SUCH_SYSTEM: 73,
  ALREADY_EXISTS: 74,
  MESSAGE_NOT_FOUND: 75,
} as const;

export type ErrSub = (typeof ERR)[keyof typeof ERR];

export const errorCode = (sub: ErrSub): number => CLASS.ERROR + sub;
