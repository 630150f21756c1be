// Imported by natural.ts before natural itself: loading natural calls dotenv, which prints
// "injected env" lines to stdout unless DOTENV_CONFIG_QUIET is set, and stdout must stay
// clean for --json. Imports are evaluated in order, so this runs first.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
