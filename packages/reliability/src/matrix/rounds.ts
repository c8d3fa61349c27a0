/** Runs an operation's round until it succeeds or the rounds run out; each failure noted in one line. */
export async function untilDone(
  rounds: number,
  round: () => Promise<void>,
): Promise<{ completed: boolean; rounds: number; errors: string[] }> {
  const errors: string[] = [];
  for (let n = 1; n <= rounds; n++) {
    try {
      await round();
      return { completed: true, rounds: n, errors };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      errors.push(`${e.code ?? 'Error'}: ${(e.message ?? String(error)).split('\n')[0]}`);
    }
  }
  return { completed: false, rounds, errors };
}
