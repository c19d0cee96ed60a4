/**
 * The one error catalogue: every error the API can answer, with its HTTP status. Services throw
 * AppError with a code from here; the HTTP layer maps it once to
 * `{ error: { code, message, details } }`.
 */
export const ERRORS = {
  BAD_REQUEST: 400,
  UNKNOWN_MODE: 400,
  AIRSPACE_VIOLATION: 400,
  BAD_PLAN_INPUT: 400,
  PLAN_NOT_FOUND: 404,
  PLAN_INFEASIBLE: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INCIDENT_NOT_FOUND: 404,
  DRONE_NOT_FOUND: 404,
  COMMAND_DENIED: 409,
  COMMAND_UNSUPPORTED: 409,
  NOT_FLYING: 409,
  ALREADY_FLYING: 409,
  DRONE_BUSY: 409,
  LINK_LOST: 409,
  MISSION_REJECTED: 409,
  NO_SPEAKER: 409,
  OUT_OF_RANGE: 409,
  INCIDENT_CLOSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  MISSION_TIMEOUT: 504,
  COMMAND_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERRORS[this.code];
  }

  toBody() {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}
