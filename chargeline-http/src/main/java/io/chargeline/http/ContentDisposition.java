package io.chargeline.http;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment} for a file name (RFC 6266): a quoted ASCII {@code filename} every
 * client understands, and for a name that is not plain ASCII also {@code filename*} with the exact name in
 * UTF-8, percent-encoded as RFC 8187 says, which clients that know it prefer.
 */
final class ContentDisposition {
    private static final String ATTR_CHARS = "!#$&+-.^_`|~";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ContentDisposition() {}

    static String attachment(String fileName) {
        StringBuilder header = new StringBuilder("attachment; filename=\"");
        boolean ascii = true;
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                ascii = false;
                header.append('_');
            } else {
                if (c == '"' || c == '\\') {
                    header.append('\\');
                }
                header.append(c);
            }
        }
        header.append('"');
        if (!ascii) {
            header.append("; filename*=UTF-8''");
            for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if (c < 0x80 && (Character.isLetterOrDigit(c) || ATTR_CHARS.indexOf(c) >= 0)) {
                    header.append(c);
                } else {
                    header.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
                }
            }
        }
        return header.toString();
    }
}
