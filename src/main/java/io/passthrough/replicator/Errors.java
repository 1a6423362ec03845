package io.passthrough.replicator;

/** Errors as the user reads them. */
public final class Errors {

    private Errors() {
    }

    /** The messages of an exception and its causes, without stack frames: what the user can act on. */
    public static String causes(Throwable error) {
        StringBuilder text = new StringBuilder();
        String previous = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (!message.equals(previous)) {
                text.append(previous == null ? "" : "\n  caused by: ").append(message);
            }
            previous = message;
        }
        return text.toString();
    }
}
