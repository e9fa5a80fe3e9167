package org.bladeshare.console.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BasicCredentialsTest {

    private static String encode(byte[] userPass) {
        return Base64.getEncoder().encodeToString(userPass);
    }

    @Test
    void rfc7617ExampleDecodes() {
        // RFC 7617 2: "Aladdin:open sesame"
        assertEquals(new BasicCredentials("Aladdin", "open sesame"),
                BasicCredentials.parse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").orElseThrow());
    }

    @Test
    void schemeIsCaseInsensitiveAndPasswordMayHoldColonsAndUtf8() {
        String header = "bAsIc " + encode("admin:pa:ss€".getBytes(StandardCharsets.UTF_8));
        assertEquals(new BasicCredentials("admin", "pa:ss€"), BasicCredentials.parse(header).orElseThrow());
    }

    @Test
    void emptyPasswordIsKept() {
        assertEquals(new BasicCredentials("admin", ""),
                BasicCredentials.parse("Basic " + encode("admin:".getBytes(StandardCharsets.UTF_8))).orElseThrow());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Basic", "Basic ", "Bearer YWRtaW46eA==", "Basic ***", "BasicYWRtaW46eA==",
            "Basic YWRtaW4=" /* "admin", no colon */})
    void malformedHeadersGiveNothing(String header) {
        assertTrue(BasicCredentials.parse(header).isEmpty(), header);
    }

    @Test
    void invalidUtf8GivesNothing() {
        assertTrue(BasicCredentials.parse("Basic " + encode(new byte[] {'a', ':', (byte) 0xC3})).isEmpty());
    }

    @Test
    void toStringHidesThePassword() {
        assertFalse(new BasicCredentials("admin", "topsecret").toString().contains("topsecret"));
    }
}
