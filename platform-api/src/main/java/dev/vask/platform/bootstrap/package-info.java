/**
 * The first start: a tenant, an admin account and a demo app when the database has no app, and the
 * banner that tells the operator how to connect.
 */
@NullMarked
package dev.vask.platform.bootstrap;

import org.jspecify.annotations.NullMarked;
