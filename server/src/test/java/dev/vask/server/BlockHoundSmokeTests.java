package dev.vask.server;

import dev.vask.testing.blockhound.BlockHoundIsInstalled;

/** BlockHound polices this module's tests: the inherited checks fail if it is not installed. */
class BlockHoundSmokeTests extends BlockHoundIsInstalled {
}
