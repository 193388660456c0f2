package dev.vask.platform.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import dev.vask.platform.management.ApiRequest;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.util.MimeType;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads {@link ApiRequest} bodies, and only those, strictly: unknown or duplicate fields, and JSON
 * values of the wrong type (no {@code "5"} for 5, no 1 for true, no 1.5 for an integer), fail instead
 * of being ignored or coerced. Registered ahead of the default JSON decoder, which keeps reading
 * every other body (the Pusher HTTP API's) as Spring Boot configures it.
 */
final class StrictJsonDecoder extends JacksonJsonDecoder {

    StrictJsonDecoder(JsonMapper lenient, int maxInMemorySize) {
        super(strict(lenient), MediaType.APPLICATION_JSON);
        setMaxInMemorySize(maxInMemorySize);
    }

    static JsonMapper strict(JsonMapper lenient) {
        return lenient.rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfigDefaults(config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert))
                .withCoercionConfig(LogicalType.Float, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert))
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.TryConvert))
                .withCoercionConfig(LogicalType.Boolean, config -> config.setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert))
                .withCoercionConfig(LogicalType.DateTime, config -> config.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert))
                .addModule(new SimpleModule("vask-strict-instants").addDeserializer(Instant.class, new Rfc3339Instant()))
                .build();
    }

    /**
     * An instant is an RFC 3339 date-time string with its offset ({@code 2027-01-01T00:00:00Z},
     * {@code 2027-01-01T01:00:00+01:00}); a number is refused rather than read as epoch seconds.
     */
    static final class Rfc3339Instant extends StdDeserializer<Instant> {

        Rfc3339Instant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            String text = parser.getString().strip();
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
            catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 date-time");
            }
        }
    }

    @Override
    public boolean canDecode(ResolvableType elementType, @org.jspecify.annotations.Nullable MimeType mimeType) {
        return ApiRequest.class.isAssignableFrom(elementType.toClass()) && super.canDecode(elementType, mimeType);
    }
}
