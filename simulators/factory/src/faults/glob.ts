/** A matcher of `<site>/<area>/<line>/<cell>` paths by glob: `*` stays within a level, `**` crosses levels. */
export function globMatcher(glob: string): (path: string) => boolean {
  let pattern = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i += 1;
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${pattern}$`);
  return (path) => regex.test(path);
}
