/** A command-line usage mistake: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {}
