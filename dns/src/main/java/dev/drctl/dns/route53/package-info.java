/**
 * The Route53 writer-record provider, through the AWS SDK for Java v2 ({@code route53} with the
 * {@code url-connection-client}). Owns the SDK: no other drctl package imports {@code software.amazon.awssdk}.
 * Must not import promotion, runbooks or cli.
 */
package dev.drctl.dns.route53;
