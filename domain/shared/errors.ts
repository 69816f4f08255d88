// Typed rule violations; the app maps each to an HTTP status in one place.

export class DomainError extends Error {
  readonly status: number = 400
}
/** 400: the input breaks a rule that the form could not check */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError'
  override readonly status = 400
  constructor(message: string, readonly field?: string) {
    super(message)
  }
}
/** 409: the command does not fit the current state */
export class IllegalStateError extends DomainError {
  override readonly name = 'IllegalStateError'
  override readonly status = 409
}
/** 404 */
export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError'
  override readonly status = 404
}
/** 403: the actor may not do this */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError'
  override readonly status = 403
}
