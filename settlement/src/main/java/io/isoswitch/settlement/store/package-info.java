/**
 * The registry of merchants and terminals in the journal database: records and simple
 * repositories to seed (upsert) and look up. Lookups are blocking: the switch loads the registry
 * into memory at start and on reload, never from an event loop.
 */
package io.isoswitch.settlement.store;
