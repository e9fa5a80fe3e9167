package org.bladeshare.smb.state;

/** The outcome of a pure rule applied to a record: the record's new value and the answer to the caller. */
record Transition<V, T>(V next, T result) {
    static <V, T> Transition<V, T> of(V next, T result) {
        return new Transition<>(next, result);
    }
}
