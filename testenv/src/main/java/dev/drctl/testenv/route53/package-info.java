/**
 * A local server speaking the Route53 REST/XML API ({@code 2013-04-01}) for the calls drctl makes, so the real AWS
 * SDK can be pointed at it (endpoint override) in tests, drills and the demo. JDK only ({@code com.sun.net.httpserver},
 * {@code javax.xml}); binds 127.0.0.1. Must not import the AWS SDK or any other drctl module but topology.
 */
package dev.drctl.testenv.route53;
