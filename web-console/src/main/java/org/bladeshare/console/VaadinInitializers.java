package org.bladeshare.console;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfoList;
import io.github.classgraph.ScanResult;
import io.undertow.servlet.api.ServletContainerInitializerInfo;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.annotation.HandlesTypes;

/**
 * Does what a full servlet container does at deployment and embedded Undertow does not
 * (Jakarta Servlet 6.0, 8.2.4): finds every {@link ServletContainerInitializer} through
 * {@link ServiceLoader} and hands each the classes its {@link HandlesTypes} asks for. Vaadin
 * needs this for its {@code Lookup}, its route registry and its app shell.
 * <p>
 * Only Vaadin's own initializers are run (Atmosphere's serve push, which the console does
 * not use), and the classpath scan is limited to {@value #VAADIN_PACKAGE} and
 * {@value #PROJECT_PACKAGE} so that it stays fast; it works the same over a directory of
 * jars and over one shaded jar. The result is computed once per class loader and shared by
 * every console of the JVM.
 */
final class VaadinInitializers {

    static final String VAADIN_PACKAGE = "com.vaadin";
    static final String PROJECT_PACKAGE = "org.bladeshare";

    private static final Logger LOG = LoggerFactory.getLogger(VaadinInitializers.class);
    private static final Map<ClassLoader, List<Found>> CACHE = new ConcurrentHashMap<>();

    private record Found(Class<? extends ServletContainerInitializer> initializer, Set<Class<?>> handledClasses) {
    }

    private VaadinInitializers() {
    }

    /** One descriptor per Vaadin initializer, ready for {@code DeploymentInfo.addServletContainerInitializers}. */
    static List<ServletContainerInitializerInfo> forClassLoader(ClassLoader loader) {
        List<ServletContainerInitializerInfo> infos = new ArrayList<>();
        for (Found found : CACHE.computeIfAbsent(loader, VaadinInitializers::find)) {
            // A fresh initializer and a copy of the set per deployment: several consoles may share a JVM.
            infos.add(new ServletContainerInitializerInfo(found.initializer(), new HashSet<>(found.handledClasses())));
        }
        return infos;
    }

    private static List<Found> find(ClassLoader loader) {
        long started = System.nanoTime();
        List<Class<? extends ServletContainerInitializer>> initializers = ServiceLoader
                .load(ServletContainerInitializer.class, loader).stream()
                .map(ServiceLoader.Provider::type)
                .filter(type -> type.getName().startsWith(VAADIN_PACKAGE + "."))
                .toList();
        List<Found> found = new ArrayList<>();
        try (ScanResult scan = new ClassGraph()
                .overrideClassLoaders(loader)
                .enableClassInfo()
                .enableAnnotationInfo()
                .acceptPackages(VAADIN_PACKAGE, PROJECT_PACKAGE)
                .scan()) {
            for (Class<? extends ServletContainerInitializer> sci : initializers) {
                HandlesTypes handles = sci.getAnnotation(HandlesTypes.class);
                Set<Class<?>> classes = new HashSet<>();
                if (handles != null) {
                    for (Class<?> wanted : handles.value()) {
                        classes.addAll(matching(scan, wanted).loadClasses(true));
                    }
                }
                found.add(new Found(sci, Set.copyOf(classes)));
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("No Vaadin ServletContainerInitializer on the class path: "
                    + "META-INF/services/jakarta.servlet.ServletContainerInitializer is missing or was not merged "
                    + "(shade with ServicesResourceTransformer).");
        }
        LOG.debug("Found {} Vaadin initializers in {} ms", found.size(), (System.nanoTime() - started) / 1_000_000);
        return List.copyOf(found);
    }

    /** Servlet 6.0 8.2.4: classes that extend, implement or are annotated with the handled type. */
    private static ClassInfoList matching(ScanResult scan, Class<?> wanted) {
        String name = wanted.getName();
        if (wanted.isAnnotation()) {
            return scan.getClassesWithAnnotation(name);
        }
        if (wanted.isInterface()) {
            return scan.getClassesImplementing(name);
        }
        return scan.getSubclasses(name);
    }
}
