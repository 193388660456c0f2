package dev.vask.platform.account;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import org.junit.jupiter.api.Test;

/**
 * A session ends when the server says so: past its {@code expires_at} its cookie is refused, whatever the
 * browser still sends (a cookie's Max-Age is only advice to the browser, and a copied cookie has none).
 */
class SessionExpiryTests extends ManagementApiTestSupport {

    @Test
    void aSessionPastItsExpiryIsRefusedWith401WhileAFreshSessionOfTheSameAccountWorks() {
        TestAccount account = signUp();
        account.browser().get().uri("/api/v1/account").exchange().expectStatus().isOk();

        // the account's only session so far (sign-up signed in once) expired a second ago
        database.execute("update account_sessions set created_at = now() - interval '8 days', expires_at = now() - interval '1 second'"
                + " where account_id = " + account.id());

        account.browser().get().uri("/api/v1/account").exchange().expectStatus().isUnauthorized();
        account.browser().get().uri("/api/v1/session").exchange().expectStatus().isUnauthorized();
        account.browser().post().uri("/api/v1/account/tokens").bodyValue(java.util.Map.of("name", "late", "scopes", java.util.List.of("read")))
                .exchange().expectStatus().isUnauthorized();
        // refused because it expired, not because sessions or the account stopped working
        TestAccount.Session fresh = TestAccount.signIn(client, account.email(), account.password(), account.address());
        client.get().uri("/api/v1/account").cookie("VASK_SESSION", fresh.cookie()).header("X-Forwarded-For", account.address())
                .exchange().expectStatus().isOk();
        account.api().get().uri("/api/v1/account").exchange().expectStatus().isOk();
    }
}
