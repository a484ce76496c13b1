package dev.drctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one JSON style of every {@code -o json}: pretty-printed, fields in declaration order, absent values as
 * {@code null}. One writer so that no command prints compact JSON beside another's pretty JSON.
 */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** A record, map or list as pretty JSON. */
    static String pretty(Object value) throws JsonProcessingException {
        return value instanceof JsonNode node ? node.toPrettyString() : MAPPER.writeValueAsString(value);
    }
}
