/**
 * The operator role: the people who run a Vask (the first-start admin, and accounts an operator
 * grants the role). Operators manage plans, give tenants a plan, and grant or take away the role.
 */
@NullMarked
package dev.vask.platform.operator;

import org.jspecify.annotations.NullMarked;
