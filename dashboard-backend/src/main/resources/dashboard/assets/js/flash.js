// Messages for the next page: kept in memory only (never in history state or storage, since some of
// them, such as a newly created key, include secrets).

const messages = new Map();

export function set(name, value) {
  messages.set(name, value);
}

/** Returns the message once, then forgets it. */
export function take(name) {
  const value = messages.get(name);
  messages.delete(name);
  return value;
}
