// Stands in for node:child_process in the bundled command line. commander requires it at load
// time for executable subcommands, which this command line has none of; loading the real module
// is several milliseconds of every run. Anything that does use it loads it then.
"use strict";
module.exports = new Proxy(
  {},
  {
    get: (_, name) => require("node:child_process")[name],
  },
);
