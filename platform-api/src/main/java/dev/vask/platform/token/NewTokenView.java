package dev.vask.platform.token;

/**
 * A token just created: the only time its value is shown.
 *
 * @param token send it as {@code Authorization: Bearer <token>}; Vask keeps only a hash and cannot show it again
 * @param details the token's other fields, as listed later
 */
public record NewTokenView(String token, TokenView details) {

    @Override
    public String toString() {
        return "NewTokenView[token=****, details=" + details + "]";
    }
}
