package janmat.engine;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.join.ParentJoinPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.percolator.PercolatorPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single OpenSearch node for Janmat's tests and CI, assembled from Maven Central jars.
 *
 * <p>The module plugins of a normal distribution are passed to {@link Node} as classpath plugins
 * (the protected constructor), so no distribution zip and no plugin installation is needed.
 *
 * <p>Usage: {@code java -cp ... janmat.engine.JanmatOpenSearchNode --home DIR [--http-port 9200]
 * [--transport-port 9300-9349] [-Ename=value ...]}. SIGTERM closes the node cleanly.
 */
public final class JanmatOpenSearchNode extends Node {

    /** Module plugins loaded from the classpath, as in a regular OpenSearch distribution. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,
        CommonAnalysisPlugin.class,
        PainlessPlugin.class,
        MapperExtrasPlugin.class,
        PercolatorPlugin.class,
        ReindexPlugin.class,
        ParentJoinPlugin.class,
        MatrixAggregationPlugin.class
    );

    private JanmatOpenSearchNode(Settings settings, Collection<Class<? extends Plugin>> plugins) {
        super(
            InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "janmat-opensearch"),
            plugins,
            true
        );
    }

    /** Janmat's defaults for a throw-away single node, overridable with {@code -Ekey=value}. */
    static Settings settings(Path home, String httpPort, String transportPort, Map<String, String> extra) {
        Settings.Builder b = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "janmat-opensearch")
            .put("node.name", "janmat-opensearch-1")
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            .put("discovery.type", "single-node")
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", true);
        extra.forEach(b::put);
        return b.build();
    }

    public static void main(String[] args) throws Exception {
        Path home = null;
        String httpPort = "9200";
        String transportPort = "9300-9349";
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--home") && i + 1 < args.length) {
                home = Path.of(args[++i]).toAbsolutePath();
            } else if (a.equals("--http-port") && i + 1 < args.length) {
                httpPort = args[++i];
            } else if (a.equals("--transport-port") && i + 1 < args.length) {
                transportPort = args[++i];
            } else if (a.startsWith("-E") && a.contains("=")) {
                String kv = a.substring(2);
                int eq = kv.indexOf('=');
                extra.put(kv.substring(0, eq), kv.substring(eq + 1));
            } else {
                System.err.println("usage: JanmatOpenSearchNode --home DIR [--http-port N] "
                    + "[--transport-port N|A-B] [-Ekey=value ...]; unknown argument: " + a);
                System.exit(2);
            }
        }
        if (home == null) {
            System.err.println("--home DIR is required");
            System.exit(2);
        }

        Node node = new JanmatOpenSearchNode(settings(home, httpPort, transportPort, extra), PLUGINS);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "janmat-opensearch-shutdown"));
        node.start();
        System.out.println("janmat: OpenSearch node started, http://127.0.0.1:" + httpPort);
        closed.await();
    }
}
