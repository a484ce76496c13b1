package dev.drctl.compliance;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.drctl.topology.SecretRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;

/**
 * Turns payloads into canonical JSON (keys sorted at every level, ISO-8601 instants and durations) so
 * equal content always gives the same text and hash. A {@link SecretRef} anywhere in a payload is
 * written as {@code ***}: serialisation reads accessors, not {@code toString()}, so this is explicit.
 */
final class PayloadCodec {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("drctl-secrets").addSerializer(SecretRef.class, new RedactedSecret()))
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
            .configure(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS, false)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .build();

    private PayloadCodec() {
    }

    static String canonical(Object payload) {
        JsonNode tree = payload instanceof JsonNode node ? node : MAPPER.valueToTree(payload);
        try {
            return MAPPER.writeValueAsString(sorted(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("journal payload cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // a stored payload that is not JSON was edited outside drctl; verification reports it, exports show it raw
            return JsonNodeFactory.instance.textNode(json);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            var names = new ArrayList<String>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (var name : names) {
                out.set(name, sorted(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> out.add(sorted(child)));
            return out;
        }
        return node;
    }

    static ObjectNode object(Map<String, ?> fields) {
        return MAPPER.valueToTree(fields);
    }

    private static final class RedactedSecret extends StdSerializer<SecretRef> {
        RedactedSecret() {
            super(SecretRef.class);
        }

        @Override
        public void serialize(SecretRef value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString("***");
        }
    }
}
