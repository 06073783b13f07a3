/**
 * Every failure a user can cause is an AppError: a stable machine-readable `code`,
 * a human message, and a kind that the HTTP layer maps to a status and the CLIs to an exit code.
 */
export type ProblemKind =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "unprocessable"
  | "range_not_satisfiable"
  | "too_many_requests"
  | "unavailable";

export class AppError extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("bad_request", code, message, details);
export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("not_found", code, message, details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("conflict", code, message, details);
export const unprocessable = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("unprocessable", code, message, details);
export const forbidden = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("forbidden", code, message, details);
export const unauthorized = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("unauthorized", code, message, details);
export const rangeNotSatisfiable = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("range_not_satisfiable", code, message, details);
