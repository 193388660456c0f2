package dev.vask.platform.web;

import dev.vask.platform.management.ApiRequest;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.util.MimeType;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
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
                .build();
    }

    @Override
    public boolean canDecode(ResolvableType elementType, @org.jspecify.annotations.Nullable MimeType mimeType) {
        return ApiRequest.class.isAssignableFrom(elementType.toClass()) && super.canDecode(elementType, mimeType);
    }
}
