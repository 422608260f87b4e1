import { ZxcvbnFactory } from '@zxcvbn-ts/core';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
/**
 * zxcvbn's scale: 3 = "safely unguessable: moderate protection from an offline slow-hash attack" (≥ 10^8
 * guesses). Our hashes are scrypt and sign-in is throttled, so 3 is enough and 4 would refuse good passphrases.
 */
const MIN_SCORE = 3;

let estimator: Promise<ZxcvbnFactory> | undefined;

/**
 * zxcvbn-ts (the maintained TypeScript port of Dropbox's estimator) with its common-password list (the most used
 * passwords of public leaks), the diceware list, French words, first and last names, and the QWERTY/AZERTY keyboard
 * graphs. Loaded on first use: the dictionaries take about a second to load and decompress, which every process
 * (and every CLI command) would otherwise pay at start. Levenshtein matching is off: it costs 10–50× more per check
 * and the l33t and dictionary matchers already catch the variants it would.
 */
function zxcvbn(): Promise<ZxcvbnFactory> {
  estimator ??= Promise.all([import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-fr')]).then(
    ([common, french]) =>
      new ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...french.dictionary },
        graphs: common.adjacencyGraphs,
        useLevenshteinDistance: false,
      }),
  );
  return estimator;
}

/**
 * Why a password is refused, or undefined when it is strong enough: at least 12 characters, not only spaces, and
 * hard to guess for an estimator that knows common passwords, French words, names, keyboard walks,
 * repeats, sequences, dates — and the account's own email and name. The one password check of the application:
 * account creation and any password reset call it.
 */
export async function passwordProblem(
  password: string,
  account: { email?: string; displayName?: string } = {},
): Promise<string | undefined> {
  if (password.length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() === '') return 'not only spaces';
  const folded = fold(password);
  const names = [nameWords((account.email ?? '').split('@')[0] ?? ''), nameWords(account.displayName ?? '')];
  if (names.some((words) => words.length > 0 && words.every((w) => folded.includes(w)))) {
    return "too easy to guess (it is made of the account's own name or email): use a passphrase of unrelated words";
  }
  const result = (await zxcvbn()).check(password, [account.email ?? '', ...names.flat()]);
  if (result.score >= MIN_SCORE) return undefined;
  const why = describe(result.sequence.map((m) => m.pattern));
  return `too easy to guess (${why}): use a longer passphrase of several unrelated words`;
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** The words of a name or an email's local part worth looking for in a password (3 letters or more). */
function nameWords(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3);
}

/** What made the password weak, in words an administrator can act on. */
function describe(patterns: string[]): string {
  if (patterns.includes('dictionary')) return 'it is a common password, a word, a name or contains the account name';
  if (patterns.includes('repeat')) return 'it repeats characters';
  if (patterns.includes('sequence')) return 'it is a sequence such as abcd or 1234';
  if (patterns.includes('spatial')) return 'it follows the keyboard';
  if (patterns.includes('date')) return 'it is mostly a date';
  return 'it is too short for its variety of characters';
}
