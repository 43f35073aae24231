// node:https through require (see BUILTIN_ALIASES in ../bundling-options.ts).
module.exports = require('https');
