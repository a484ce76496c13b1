/**
 * Writer-record providers behind the {@code DnsProvider} port: Route53 (AWS SDK v2), a file provider for the demo and
 * testenv, and an exec provider for anything else. Depends on {@code topology} only; never on promotion or runbooks.
 */
package dev.drctl.dns;
