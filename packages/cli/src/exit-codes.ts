/** What every `mekong` command's exit code means, so that scripts can rely on one meaning. */
export const exitCodes = {
  /** Done. */
  ok: 0,
  /** Failed: nothing (or nothing trustworthy) was produced. */
  failed: 1,
  /** The command line or the configuration is wrong: an unknown command, option or value. */
  usage: 2,
  /** A result, but not all of it: some input skipped, or some part of what was asked is not running. */
  partial: 3,
} as const;

export const exitCodesHelp = `Exit codes (every command):
  0  done
  1  failed (the message says what and what to do)
  2  usage or configuration error: an unknown command, option or value
  3  partial result: written, but some input was skipped; or some of what was asked is not running`;
