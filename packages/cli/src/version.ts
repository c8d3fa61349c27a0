/** The CLI's version, printed by `partcopy --version` (a test keeps it equal to package.json's). */
export const CLI_VERSION = '0.1.0';
