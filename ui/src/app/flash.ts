/** One message carried from one screen to the next (e.g. "launched" after leaving the launch dialog). */
let pending: string | null = null;

export function setFlash(message: string): void {
  pending = message;
}

export function takeFlash(): string | null {
  const message = pending;
  pending = null;
  return message;
}
