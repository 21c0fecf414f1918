// Hands out creation/update times that strictly increase within this process, so "newest first" is
// well defined even for notebooks created in the same millisecond (a burst shifts times by a few ms).
let last = 0;

export function nextTimestamp(): string {
  const now = Math.max(Date.now(), last + 1);
  last = now;
  return new Date(now).toISOString();
}
