/**
 * Text PostgreSQL can store and JSON can carry unchanged: no NUL (text and JSON columns
 * reject it, which would surface as a 500) and no lone UTF-16 surrogates (not Unicode).
 */
export function isSafeText(value: string): boolean {
  return value.isWellFormed() && !value.includes('\u0000');
}
