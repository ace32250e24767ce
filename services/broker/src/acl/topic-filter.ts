/** True when `topic` (no wildcards) matches `filter` [MQTT-4.7]; `$` topics never match a leading wildcard. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if (topic.startsWith('$') && (f[0] === '#' || f[0] === '+')) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/** True when every topic `requested` can match is also matched by `allowed`. */
export function filterCovers(allowed: string, requested: string): boolean {
  const a = allowed.split('/');
  const r = requested.split('/');
  if (requested.startsWith('$') !== allowed.startsWith('$') && (a[0] === '#' || a[0] === '+')) return false;
  for (let i = 0; i < a.length; i++) {
    const level = a[i];
    if (level === '#') return true;
    const wanted = r[i];
    if (wanted === undefined) return false;
    if (wanted === '#') return false;
    if (level === '+') continue;
    if (wanted === '+' || wanted !== level) return false;
  }
  return a.length === r.length;
}

export function hasWildcard(filter: string): boolean {
  return filter.includes('+') || filter.includes('#');
}
