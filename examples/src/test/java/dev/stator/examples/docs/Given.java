package dev.stator.examples.docs;

import java.lang.reflect.Proxy;

/**
 * What every page's snippets may take as known; the page's own given class (ReadmeGiven for
 * README.md, DslGiven for docs/dsl.md, ...) extends it. See {@link DocSnippetsTest}.
 */
class Given {
  /** A stand-in for an interface the page's text calls "a fake": every method does nothing. */
  static <T> T fake(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> method.getReturnType() == boolean.class ? false
            : method.getReturnType().isPrimitive() && method.getReturnType() != void.class ? 0
            : null));
  }
}
