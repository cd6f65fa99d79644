/** The switch's vocabulary of transactions: types, how requests map to them, and response codes. */
package io.isoswitch.core.txn;
