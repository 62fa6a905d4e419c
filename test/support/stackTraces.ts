/**
 * Pulumi's runtime makes an Error for every resource and promise it tracks, and tsx's source
 * maps make each of those stack traces dearer to build. Tests that drive Pulumi import this
 * (through the Pulumi helpers) and run without source maps: a failure there still names the
 * test and its assertion, with stack lines of the transpiled code. TEST_SOURCE_MAPS=1 keeps them.
 */
if (process.env.TEST_SOURCE_MAPS !== "1") process.setSourceMapsEnabled(false);

export {};
