// natural, loaded once and quietly. It is CommonJS: only the default import works at run
// time (named ESM imports fail). natural-quiet must stay the first import: it silences the
// dotenv call natural makes when it loads.
import './natural-quiet.js';
import natural from 'natural';

export default natural;
