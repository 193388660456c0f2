package dev.vask.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static dev.vask.helm.RenderedChart.list;
import static dev.vask.helm.RenderedChart.map;
import static dev.vask.helm.RenderedChart.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;

/**
 * Lints the chart under {@code helm/vask} and renders it with the real helm engine (embedded by helm-java),
 * then checks the rendered Kubernetes objects. No cluster is involved.
 */
class HelmChartTests {

	/** Surefire runs in the module directory, which holds the chart. */
	private static final Path CHART = Path.of("vask").toAbsolutePath();

	private static final String RELEASE = "demo";

	private static final String NAMESPACE = "realtime";

	private static final String FULLNAME = "demo-vask";

	private static final String DATABASE_URL = "postgres://vask:s3cret@postgres.db.svc:5432/vask";

	private static final String METRICS_TOKEN = "0f3c5e9d2a7b41c8e6f1d2c3b4a59687";

	private static final String MASTER_KEY = Base64.getEncoder()
		.encodeToString(bytes(IntStream.range(0, 32).map((i) -> i * 7 + 3).toArray()));

	@TempDir
	Path tempDir;

	@Test
	void chartPassesHelmLint() {
		LintResult result = new Helm(CHART).lint().strict().call();

		assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
		assertThat(result.getMessages()).noneMatch((message) -> message.contains("[ERROR]") || message.contains("[WARNING]"));
	}

	@Test
	void deploymentRunsTheChartAppVersionImageOnPort6001WithActuatorOn8081() throws IOException {
		RenderedChart chart = render(minimal());

		Map<String, Object> container = chart.container();
		assertThat(container.get("image")).isEqualTo("ghcr.io/vask-dev/vask:" + chartAppVersion());
		assertThat(chartAppVersion()).isEqualTo("0.1.0");
		assertThat(container.get("imagePullPolicy")).isEqualTo("IfNotPresent");
		assertThat(list(container, "ports")).containsExactly(Map.of("name", "http", "containerPort", 6001, "protocol", "TCP"),
				Map.of("name", "management", "containerPort", 8081, "protocol", "TCP"));
		assertThat(chart.env("VASK_PORT")).containsEntry("value", "6001");
		assertThat(chart.env("VASK_MANAGEMENT_PORT")).containsEntry("value", "8081");
		assertThat(value(chart.one("Deployment"), "spec", "replicas")).isEqualTo(1);
	}

	@Test
	void imageTagAndPullSecretsCanBeSet() {
		RenderedChart chart = render(minimal().set("image.tag", "0.2.0-rc.1")
			.set("image.repository", "registry.example.com/vask")
			.set("imagePullSecrets[0].name", "registry-credentials"));

		assertThat(chart.container().get("image")).isEqualTo("registry.example.com/vask:0.2.0-rc.1");
		assertThat(list(chart.podSpec(), "imagePullSecrets")).containsExactly(Map.of("name", "registry-credentials"));
	}

	@Test
	void databaseUrlAndMasterKeyComeFromTheChartSecret() {
		RenderedChart chart = render(minimal());

		assertThat(chart.env("VASK_DATABASE_URL"))
			.containsEntry("valueFrom", Map.of("secretKeyRef", Map.of("name", FULLNAME, "key", "database-url")));
		assertThat(chart.env("VASK_MASTER_KEY"))
			.containsEntry("valueFrom", Map.of("secretKeyRef", Map.of("name", FULLNAME, "key", "master-key")));
		assertThat(chart.envNames()).doesNotContain("VASK_ADMIN_PASSWORD", "VASK_BOOTSTRAP_APP_SECRET");
	}

	@Test
	void secretHoldsTheValuesBase64Encoded() {
		RenderedChart chart = render(minimal().set("admin.password", "admin-pass")
			.set("bootstrapApp.secret", "app-secret"));

		Map<String, Object> secret = chart.one("Secret");
		assertThat(value(secret, "metadata", "name")).isEqualTo(FULLNAME);
		assertThat(value(secret, "metadata", "namespace")).isEqualTo(NAMESPACE);
		assertThat(secret.get("type")).isEqualTo("Opaque");
		assertThat(map(secret, "data")).containsOnly(entry("database-url", base64(DATABASE_URL)),
				entry("master-key", base64(MASTER_KEY)), entry("admin-password", base64("admin-pass")),
				entry("bootstrap-app-secret", base64("app-secret")));
		assertThat(chart.env("VASK_ADMIN_PASSWORD"))
			.containsEntry("valueFrom", Map.of("secretKeyRef", Map.of("name", FULLNAME, "key", "admin-password")));
		assertThat(chart.env("VASK_BOOTSTRAP_APP_SECRET")).containsEntry("valueFrom",
				Map.of("secretKeyRef", Map.of("name", FULLNAME, "key", "bootstrap-app-secret")));
	}

	@Test
	void existingSecretModeRendersNoSecretAndReadsTheConfiguredKeys() throws IOException {
		RenderedChart chart = render(template().withValuesFile(valuesFile("""
				existingSecret:
				  name: vask-credentials
				  keys:
				    databaseUrl: PG_URL
				    masterKey: ENCRYPTION_KEY
				    adminPassword: ADMIN_PW
				    bootstrapAppSecret: ""
				""")));

		assertThat(chart.kinds()).doesNotContain("Secret");
		assertThat(chart.env("VASK_DATABASE_URL"))
			.containsEntry("valueFrom", Map.of("secretKeyRef", Map.of("name", "vask-credentials", "key", "PG_URL")));
		assertThat(chart.env("VASK_MASTER_KEY")).containsEntry("valueFrom",
				Map.of("secretKeyRef", Map.of("name", "vask-credentials", "key", "ENCRYPTION_KEY")));
		assertThat(chart.env("VASK_ADMIN_PASSWORD")).containsEntry("valueFrom",
				Map.of("secretKeyRef", Map.of("name", "vask-credentials", "key", "ADMIN_PW", "optional", true)));
		assertThat(chart.envNames()).doesNotContain("VASK_BOOTSTRAP_APP_SECRET");
		assertThat(annotations(chart)).doesNotContainKey("checksum/secret");
	}

	@Test
	void renderingWithoutDatabaseUrlFailsWithAClearMessage() {
		assertThatIllegalStateException().isThrownBy(() -> template().set("masterKey", MASTER_KEY).call())
			.withMessageContaining("database.url is required")
			.withMessageContaining("existingSecret.name");
	}

	@Test
	void renderingWithoutMasterKeyFailsWithAClearMessage() {
		assertThatIllegalStateException().isThrownBy(() -> template().set("database.url", DATABASE_URL).call())
			.withMessageContaining("masterKey is required")
			.withMessageContaining("openssl rand -base64 32");
	}

	@Test
	void masterKeyThatIsNotBase64Of32BytesIsRejected() {
		assertThatIllegalStateException()
			.isThrownBy(() -> template().set("database.url", DATABASE_URL).set("masterKey", "c2hvcnQ=").call())
			.withMessageContaining("masterKey must be base64 of exactly 32 bytes");
	}

	@Test
	void probesHitTheActuatorHealthGroupsOnTheManagementPort() {
		Map<String, Object> container = render(minimal()).container();

		assertThat(map(container, "livenessProbe", "httpGet"))
			.isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "management"));
		assertThat(map(container, "readinessProbe", "httpGet"))
			.isEqualTo(Map.of("path", "/actuator/health/readiness", "port", "management"));
		assertThat(map(container, "startupProbe", "httpGet"))
			.isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "management"));
		// Start-up runs the migrations (~30 s): the startup probe must allow well over that.
		int startupBudget = (int) value(container, "startupProbe", "periodSeconds")
				* (int) value(container, "startupProbe", "failureThreshold");
		assertThat(startupBudget).isGreaterThanOrEqualTo(120);
	}

	@Test
	void withoutAManagementPortActuatorAndItsProbesStayOnTheHttpPort() {
		RenderedChart chart = render(minimal().set("managementPort", ""));
		Map<String, Object> container = chart.container();

		assertThat(list(container, "ports")).containsExactly(Map.of("name", "http", "containerPort", 6001, "protocol", "TCP"));
		assertThat(chart.envNames()).doesNotContain("VASK_MANAGEMENT_PORT");
		assertThat(map(container, "livenessProbe", "httpGet")).containsEntry("port", "http");
		assertThat(map(container, "readinessProbe", "httpGet")).containsEntry("port", "http");
		assertThat(map(container, "startupProbe", "httpGet")).containsEntry("port", "http");
	}

	@Test
	void containerHasResourcesAndARestrictedSecurityContext() {
		RenderedChart chart = render(minimal());
		Map<String, Object> container = chart.container();

		assertThat(map(container, "resources")).isEqualTo(
				Map.of("requests", Map.of("cpu", "500m", "memory", "768Mi"), "limits", Map.of("memory", "1536Mi")));
		assertThat(map(container, "securityContext")).containsEntry("runAsNonRoot", true)
			.containsEntry("readOnlyRootFilesystem", true)
			.containsEntry("allowPrivilegeEscalation", false)
			.containsEntry("capabilities", Map.of("drop", List.of("ALL")));
		assertThat(map(chart.podSpec(), "securityContext")).containsEntry("runAsNonRoot", true);
		assertThat(list(container, "volumeMounts")).contains(Map.of("name", "tmp", "mountPath", "/tmp"));
		assertThat(list(chart.podSpec(), "volumes"))
			.contains(Map.of("name", "tmp", "emptyDir", Map.of("sizeLimit", "256Mi")));
		assertThat(chart.podSpec()).containsEntry("automountServiceAccountToken", false)
			.containsEntry("serviceAccountName", FULLNAME)
			// A Service named "vask" would otherwise inject VASK_PORT=tcp://... into the pod.
			.containsEntry("enableServiceLinks", false);
		assertThat(value(chart.one("ServiceAccount"), "metadata", "name")).isEqualTo(FULLNAME);
	}

	@Test
	void podDrainsGracefullyOnShutdown() {
		RenderedChart chart = render(minimal());

		assertThat(chart.podSpec()).containsEntry("terminationGracePeriodSeconds", 30);
		assertThat(map(chart.container(), "lifecycle", "preStop")).isEqualTo(Map.of("sleep", Map.of("seconds", 5)));

		RenderedChart exec = render(minimal().set("preStop.handler", "exec").set("preStop.sleepSeconds", 8)
			.set("terminationGracePeriodSeconds", 45));
		assertThat(exec.podSpec()).containsEntry("terminationGracePeriodSeconds", 45);
		assertThat(map(exec.container(), "lifecycle", "preStop"))
			.isEqualTo(Map.of("exec", Map.of("command", List.of("sleep", "8"))));

		RenderedChart none = render(minimal().set("preStop.sleepSeconds", 0));
		assertThat(none.container()).doesNotContainKey("lifecycle");
	}

	@Test
	void optionalSettingsBecomeEnvironmentVariables() throws IOException {
		RenderedChart defaults = render(minimal());
		assertThat(defaults.envNames()).containsExactly("VASK_PORT", "VASK_MANAGEMENT_PORT", "VASK_ROLES", "VASK_DATABASE_URL",
				"VASK_MASTER_KEY", "JAVA_TOOL_OPTIONS");
		assertThat(defaults.env("VASK_ROLES")).containsEntry("value", "realtime,api,dashboard");
		assertThat(defaults.env("JAVA_TOOL_OPTIONS")).containsEntry("value", "-XX:MaxRAMPercentage=75");

		RenderedChart chart = render(minimal().withValuesFile(valuesFile("""
				admin:
				  email: ops@example.com
				bootstrapApp:
				  id: "1001"
				  key: demo-key
				javaToolOptions: "-XX:MaxRAMPercentage=60 -Xss512k"
				extraEnv:
				  - name: LOGGING_LEVEL_DEV_VASK
				    value: DEBUG
				""")));
		assertThat(chart.env("VASK_ADMIN_EMAIL")).containsEntry("value", "ops@example.com");
		assertThat(chart.env("VASK_BOOTSTRAP_APP_ID")).containsEntry("value", "1001");
		assertThat(chart.env("VASK_BOOTSTRAP_APP_KEY")).containsEntry("value", "demo-key");
		assertThat(chart.env("JAVA_TOOL_OPTIONS")).containsEntry("value", "-XX:MaxRAMPercentage=60 -Xss512k");
		assertThat(chart.env("LOGGING_LEVEL_DEV_VASK")).containsEntry("value", "DEBUG");
	}

	@Test
	void serviceTargetsThePodLabelsAndTheHttpPort() {
		RenderedChart chart = render(minimal());
		Map<String, Object> service = chart.one("Service");

		assertThat(value(service, "metadata", "name")).isEqualTo(FULLNAME);
		assertThat(value(service, "spec", "type")).isEqualTo("ClusterIP");
		assertThat(RenderedChart.<Map<String, Object>>list(map(service, "spec"), "ports"))
			.containsExactly(Map.of("name", "http", "port", 6001, "targetPort", "http", "protocol", "TCP"));
		Map<String, Object> selector = map(service, "spec", "selector");
		assertThat(map(chart.podMetadata(), "labels")).containsAllEntriesOf(selector);
		assertThat(map(chart.one("Deployment"), "spec", "selector", "matchLabels")).isEqualTo(selector);
		assertThat(selector).containsEntry("app.kubernetes.io/name", "vask")
			.containsEntry("app.kubernetes.io/instance", RELEASE);
	}

	@Test
	void serviceTypeAndAnnotationsCanBeSet() {
		Map<String, Object> service = render(minimal().set("service.type", "LoadBalancer")
			.set("service.annotations.service\\.beta\\.kubernetes\\.io/aws-load-balancer-type", "nlb")).one("Service");

		assertThat(value(service, "spec", "type")).isEqualTo("LoadBalancer");
		assertThat(map(service, "metadata", "annotations"))
			.containsEntry("service.beta.kubernetes.io/aws-load-balancer-type", "nlb");
	}

	@Test
	void everyObjectCarriesTheStandardLabels() {
		RenderedChart chart = render(minimal().set("ingress.enabled", true)
			.set("metrics.serviceMonitor.enabled", true));

		assertThat(chart.kinds()).containsExactlyInAnyOrder("ServiceAccount", "Secret", "Service", "Service", "Deployment",
				"Ingress", "ServiceMonitor");
		for (Map<String, Object> object : chart.objects()) {
			assertThat(map(object, "metadata", "labels")).as("labels of %s", object.get("kind"))
				.containsEntry("app.kubernetes.io/name", "vask")
				.containsEntry("app.kubernetes.io/instance", RELEASE)
				.containsEntry("app.kubernetes.io/version", "0.1.0")
				.containsEntry("app.kubernetes.io/managed-by", "Helm")
				.containsEntry("helm.sh/chart", "vask-0.1.0");
		}
	}

	@Test
	void changedSecretValuesRollThePodsButStableValuesDoNot() {
		Object checksum = annotations(render(minimal())).get("checksum/secret");
		Object again = annotations(render(minimal())).get("checksum/secret");
		Object changed = annotations(render(minimal().set("database.url", DATABASE_URL + "?sslmode=require")))
			.get("checksum/secret");

		assertThat(checksum).asString().hasSize(64);
		assertThat(again).isEqualTo(checksum);
		assertThat(changed).isNotEqualTo(checksum);
	}

	@Test
	void prometheusPodAnnotationsPointAtTheManagementPortByDefault() {
		assertThat(annotations(render(minimal().set("podAnnotations.team", "realtime"))))
			.containsEntry("prometheus.io/scrape", "true")
			.containsEntry("prometheus.io/port", "8081")
			.containsEntry("prometheus.io/path", "/actuator/prometheus")
			.containsEntry("team", "realtime");

		assertThat(annotations(render(minimal().set("metrics.podAnnotations.enabled", false))))
			.doesNotContainKeys("prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path");
	}

	@Test
	void noPrometheusPodAnnotationsWhereAScrapeWouldNeedACredentialTheyCannotSend() {
		assertThat(annotations(render(minimal().set("metrics.token", METRICS_TOKEN))))
			.doesNotContainKeys("prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path");
		assertThat(render(minimal().set("managementPort", "")).podMetadata())
			.satisfiesAnyOf((metadata) -> assertThat(metadata).doesNotContainKey("annotations"),
					(metadata) -> assertThat(map(metadata, "annotations")).doesNotContainKey("prometheus.io/scrape"));
	}

	@Test
	void serviceMonitorScrapesTheManagementPortThroughAClusterIpServiceOfItsOwn() {
		assertThat(render(minimal()).kinds()).doesNotContain("ServiceMonitor");
		assertThat(render(minimal()).all("Service")).hasSize(1);

		RenderedChart chart = render(minimal().set("metrics.serviceMonitor.enabled", true)
			.set("metrics.serviceMonitor.labels.release", "kube-prometheus")
			.set("service.type", "LoadBalancer"));
		Map<String, Object> monitor = chart.one("ServiceMonitor");
		assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		assertThat(map(monitor, "metadata", "labels")).containsEntry("release", "kube-prometheus");
		assertThat(RenderedChart.<Map<String, Object>>list(map(monitor, "spec"), "endpoints")).containsExactly(
				Map.of("port", "management", "path", "/actuator/prometheus", "interval", "30s", "scrapeTimeout", "10s"));

		Map<String, Object> selector = map(monitor, "spec", "selector", "matchLabels");
		List<Map<String, Object>> selected = chart.all("Service").stream()
			.filter((service) -> map(service, "metadata", "labels").entrySet().containsAll(selector.entrySet()))
			.toList();
		assertThat(selected).singleElement().satisfies((service) -> {
			assertThat(value(service, "metadata", "name")).isEqualTo(FULLNAME + "-management");
			// never exposed with the public Service's type
			assertThat(value(service, "spec", "type")).isEqualTo("ClusterIP");
			assertThat(RenderedChart.<Map<String, Object>>list(map(service, "spec"), "ports"))
				.containsExactly(Map.of("name", "management", "port", 8081, "targetPort", "management", "protocol", "TCP"));
			assertThat(map(chart.podMetadata(), "labels")).containsAllEntriesOf(map(service, "spec", "selector"));
		});
	}

	@Test
	void theMetricsTokenGoesFromTheSecretToVaskAndToTheServiceMonitor() {
		RenderedChart chart = render(minimal().set("metrics.token", METRICS_TOKEN).set("metrics.serviceMonitor.enabled", true));

		assertThat(map(chart.one("Secret"), "data")).containsEntry("metrics-token", base64(METRICS_TOKEN));
		assertThat(chart.env("VASK_METRICS_TOKEN"))
			.containsEntry("valueFrom", Map.of("secretKeyRef", Map.of("name", FULLNAME, "key", "metrics-token")));
		assertThat(RenderedChart.<Map<String, Object>>list(map(chart.one("ServiceMonitor"), "spec"), "endpoints"))
			.singleElement()
			.satisfies((endpoint) -> assertThat(endpoint).containsEntry("port", "management")
				.containsEntry("bearerTokenSecret", Map.of("name", FULLNAME, "key", "metrics-token")));
		assertThat(chart.toString()).doesNotContain(METRICS_TOKEN);
	}

	@Test
	void withoutAManagementPortTheServiceMonitorScrapesTheHttpPortWithTheToken() {
		RenderedChart chart = render(minimal().set("managementPort", "").set("metrics.token", METRICS_TOKEN)
			.set("metrics.serviceMonitor.enabled", true));

		assertThat(chart.all("Service")).hasSize(1);
		Map<String, Object> monitor = chart.one("ServiceMonitor");
		assertThat(RenderedChart.<Map<String, Object>>list(map(monitor, "spec"), "endpoints")).singleElement()
			.satisfies((endpoint) -> assertThat(endpoint).containsEntry("port", "http")
				.containsEntry("bearerTokenSecret", Map.of("name", FULLNAME, "key", "metrics-token")));
		assertThat(map(monitor, "spec", "selector", "matchLabels")).isEqualTo(map(chart.one("Service"), "spec", "selector"));
	}

	@Test
	void theMetricsTokenCanComeFromAnExistingSecret() throws IOException {
		RenderedChart chart = render(template().set("metrics.serviceMonitor.enabled", true).withValuesFile(valuesFile("""
				existingSecret:
				  name: vask-credentials
				  keys:
				    metricsToken: SCRAPE_TOKEN
				""")));

		assertThat(chart.env("VASK_METRICS_TOKEN")).containsEntry("valueFrom",
				Map.of("secretKeyRef", Map.of("name", "vask-credentials", "key", "SCRAPE_TOKEN")));
		assertThat(RenderedChart.<Map<String, Object>>list(map(chart.one("ServiceMonitor"), "spec"), "endpoints"))
			.singleElement()
			.satisfies((endpoint) -> assertThat(endpoint)
				.containsEntry("bearerTokenSecret", Map.of("name", "vask-credentials", "key", "SCRAPE_TOKEN")));
		assertThat(render(template().set("existingSecret.name", "vask-credentials")).envNames()).doesNotContain("VASK_METRICS_TOKEN");
	}

	@Test
	void aServiceMonitorWithNeitherManagementPortNorTokenFailsWithAClearMessage() {
		assertThatIllegalStateException()
			.isThrownBy(() -> minimal().set("managementPort", "").set("metrics.serviceMonitor.enabled", true).call())
			.withMessageContaining("metrics.serviceMonitor needs managementPort or metrics.token");
	}

	@Test
	void aServiceMonitorSendingTheTokenMustLiveInTheReleaseNamespace() {
		assertThatIllegalStateException()
			.isThrownBy(() -> minimal().set("metrics.token", METRICS_TOKEN).set("metrics.serviceMonitor.enabled", true)
				.set("metrics.serviceMonitor.namespace", "monitoring").call())
			.withMessageContaining("must be the release namespace");
		assertThat(value(render(minimal().set("metrics.serviceMonitor.enabled", true)
			.set("metrics.serviceMonitor.namespace", "monitoring")).one("ServiceMonitor"), "metadata", "namespace"))
			.isEqualTo("monitoring");
	}

	@Test
	void aShortMetricsTokenIsRejected() {
		assertThatIllegalStateException().isThrownBy(() -> minimal().set("metrics.token", "too-short").call())
			.withMessageContaining("metrics.token must be at least 16 characters");
	}


	@Test
	void ingressIsRenderedOnlyWhenEnabled() throws IOException {
		assertThat(render(minimal()).kinds()).doesNotContain("Ingress");

		Map<String, Object> ingress = render(minimal().withValuesFile(valuesFile("""
				ingress:
				  enabled: true
				  className: nginx
				  annotations:
				    nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
				  hosts:
				    - host: ws.example.com
				      paths:
				        - path: /
				          pathType: Prefix
				  tls:
				    - secretName: ws-tls
				      hosts: [ws.example.com]
				"""))).one("Ingress");
		assertThat(value(ingress, "spec", "ingressClassName")).isEqualTo("nginx");
		assertThat(map(ingress, "metadata", "annotations"))
			.containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600");
		assertThat(RenderedChart.<Object>list(map(ingress, "spec"), "tls"))
			.containsExactly(Map.of("secretName", "ws-tls", "hosts", List.of("ws.example.com")));
		List<Map<String, Object>> rules = list(map(ingress, "spec"), "rules");
		assertThat(rules).singleElement().satisfies((rule) -> {
			assertThat(rule).containsEntry("host", "ws.example.com");
			assertThat(RenderedChart.<Object>list(map(rule, "http"), "paths")).containsExactly(Map.of("path", "/",
					"pathType", "Prefix", "backend", Map.of("service", Map.of("name", FULLNAME, "port", Map.of("name", "http")))));
		});
	}

	@Test
	void notesTellHowToConnectPusherJsAndWhereTheFirstStartCredentialsAre() {
		String notes = notes(new Helm(CHART).install().set("database.url", DATABASE_URL).set("masterKey", MASTER_KEY));

		assertThat(notes).contains("port-forward svc/" + FULLNAME + " 6001:6001")
			.contains("wsHost: '127.0.0.1'")
			.contains("wsPort: 6001")
			.contains("forceTLS: false")
			.contains("logs deployment/" + FULLNAME)
			.contains("first start");

		String viaIngress = notes(new Helm(CHART).install().set("database.url", DATABASE_URL).set("masterKey", MASTER_KEY)
			.set("ingress.enabled", true)
			.set("ingress.hosts[0].host", "ws.example.com")
			.set("ingress.tls[0].secretName", "ws-tls")
			.set("ingress.tls[0].hosts[0]", "ws.example.com"));
		assertThat(viaIngress).contains("wsHost: 'ws.example.com'").contains("wssPort: 443").contains("forceTLS: true");
	}

	@Test
	void clusterModeReadsTheRedisUrlFromTheSecretAndAllowsSeveralReplicas() {
		RenderedChart chart = render(minimal().set("redis.url", "rediss://:p4ss@redis.cache.svc:6380").set("replicaCount", 3));

		assertThat(value(chart.one("Deployment"), "spec", "replicas")).isEqualTo(3);
		assertThat(map(chart.env("VASK_REDIS_URL"), "valueFrom", "secretKeyRef"))
			.containsExactlyInAnyOrderEntriesOf(Map.of("name", FULLNAME, "key", "redis-url"));
		assertThat(map(chart.one("Secret"), "data")).containsEntry("redis-url", base64("rediss://:p4ss@redis.cache.svc:6380"));
		assertThat(chart.env("VASK_REDIS_CLUSTER")).isNull();
		assertThat(chart.container().toString()).doesNotContain("p4ss");
	}

	@Test
	void aRedisClusterIsSwitchedOnWithItsSeedNodes() {
		RenderedChart chart = render(minimal().set("redis.url", "redis://r1:6379,redis://r2:6379").set("redis.cluster", true));

		assertThat(chart.env("VASK_REDIS_CLUSTER")).containsEntry("value", "true");
	}

	@Test
	void theRedisUrlCanComeFromAnExistingSecret() {
		assertThat(render(template().set("existingSecret.name", "vask-secrets")).envNames()).as("single-process unless asked")
			.doesNotContain("VASK_REDIS_URL");
		RenderedChart chart = render(template().set("existingSecret.name", "vask-secrets").set("existingSecret.keys.redisUrl", "redis-url")
			.set("replicaCount", 2));

		assertThat(map(chart.env("VASK_REDIS_URL"), "valueFrom", "secretKeyRef"))
			.containsExactlyInAnyOrderEntriesOf(Map.of("name", "vask-secrets", "key", "redis-url"));
		assertThat(chart.kinds()).doesNotContain("Secret");
	}

	@Test
	void severalReplicasWithoutRedisAreRefusedWithTheReason() {
		assertThatIllegalStateException().isThrownBy(() -> minimal().set("replicaCount", 2).call())
			.withMessageContaining("replicaCount above 1 needs cluster mode")
			.withMessageContaining("redis.url");
		assertThatIllegalStateException().isThrownBy(() -> minimal().set("split.enabled", true).call())
			.withMessageContaining("split.enabled needs cluster mode");
	}

	@Test
	void splitRolesRenderADeploymentAndAServicePerRoleAndTheIngressRoutesToEach() {
		RenderedChart chart = render(minimal().set("redis.url", "redis://redis:6379").set("split.enabled", true)
			.set("split.realtime.replicaCount", 4).set("ingress.enabled", true));

		assertThat(chart.all("Deployment")).extracting((deployment) -> value(deployment, "metadata", "name"))
			.containsExactly(FULLNAME + "-realtime", FULLNAME + "-api", FULLNAME + "-dashboard");
		for (Map<String, Object> deployment : chart.all("Deployment")) {
			String component = ((String) value(deployment, "metadata", "name")).substring(FULLNAME.length() + 1);
			List<Map<String, Object>> env = list(RenderedChart.<Map<String, Object>>list(map(deployment, "spec", "template", "spec"), "containers")
				.getFirst(), "env");
			assertThat(env).contains(Map.of("name", "VASK_ROLES", "value", component));
			assertThat(map(deployment, "spec", "selector", "matchLabels")).containsEntry("app.kubernetes.io/component", component);
			assertThat(value(deployment, "spec", "replicas")).isEqualTo(component.equals("realtime") ? 4 : component.equals("api") ? 2 : 1);
		}
		assertThat(chart.all("Service")).extracting((service) -> map(service, "spec", "selector").get("app.kubernetes.io/component"))
			.containsExactly("realtime", "api", "dashboard");
		List<Map<String, Object>> paths = list(map(RenderedChart.<Map<String, Object>>list(map(chart.one("Ingress"), "spec"), "rules")
			.getFirst(), "http"), "paths");
		assertThat(paths).extracting((path) -> path.get("path") + " -> " + value(path, "backend", "service", "name"))
			.containsExactly("/app -> " + FULLNAME + "-realtime", "/dashboard -> " + FULLNAME + "-dashboard", "/ -> " + FULLNAME + "-api");
	}

	@Test
	void everyRoleServesItsProbesAndMetricsOnTheManagementPortAndTheServiceMonitorReachesThemAll() {
		RenderedChart chart = render(minimal().set("redis.url", "redis://redis:6379").set("split.enabled", true)
			.set("metrics.token", METRICS_TOKEN).set("metrics.serviceMonitor.enabled", true));

		for (Map<String, Object> deployment : chart.all("Deployment")) {
			Map<String, Object> container = RenderedChart.<Map<String, Object>>list(map(deployment, "spec", "template", "spec"), "containers")
				.getFirst();
			assertThat(list(container, "ports")).contains(Map.of("name", "management", "containerPort", 8081, "protocol", "TCP"));
			assertThat(list(container, "env")).contains(Map.of("name", "VASK_MANAGEMENT_PORT", "value", "8081"))
				.anySatisfy((env) -> assertThat(((Map<?, ?>) env).get("name")).isEqualTo("VASK_METRICS_TOKEN"));
			assertThat(map(container, "readinessProbe", "httpGet")).containsEntry("port", "management");
			Map<String, Object> management = chart.all("Service").stream()
				.filter((service) -> value(service, "metadata", "name").equals(FULLNAME + "-management")).findFirst().orElseThrow();
			assertThat(map(deployment, "spec", "template", "metadata", "labels"))
				.as("the management Service selects the pods of every role")
				.containsAllEntriesOf(map(management, "spec", "selector"));
		}
	}

	@Test
	void disruptionBudgetsAndTheAutoscalerCoverEachDeployment() {
		RenderedChart chart = render(minimal().set("redis.url", "redis://redis:6379").set("split.enabled", true)
			.set("podDisruptionBudget.enabled", true).set("autoscaling.enabled", true).set("autoscaling.maxReplicas", 20));

		assertThat(chart.all("PodDisruptionBudget")).hasSize(3).allSatisfy((budget) -> {
			assertThat(value(budget, "spec", "maxUnavailable")).isEqualTo(1);
			assertThat(map(budget, "spec", "selector", "matchLabels")).containsKey("app.kubernetes.io/component");
		});
		Map<String, Object> autoscaler = chart.one("HorizontalPodAutoscaler");
		assertThat(value(autoscaler, "spec", "scaleTargetRef", "name")).isEqualTo(FULLNAME + "-realtime");
		assertThat(value(autoscaler, "spec", "maxReplicas")).isEqualTo(20);
		Map<String, Object> realtime = chart.all("Deployment").getFirst();
		assertThat(map(realtime, "spec")).as("the autoscaler owns the replica count").doesNotContainKey("replicas");
	}

	@Test
	void valuesSchemaRejectsAWrongType() {
		assertThatIllegalStateException().isThrownBy(() -> minimal().set("replicaCount", "two").call())
			.withMessageContaining("replicaCount")
			.withMessageContaining("integer");
	}

	@Test
	void valuesSchemaRejectsAnUnknownTopLevelValue() {
		assertThatIllegalStateException().isThrownBy(() -> minimal().set("databse.url", DATABASE_URL).call())
			.withMessageContaining("databse");
	}

	private static TemplateCommand template() {
		return new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
	}

	private static TemplateCommand minimal() {
		return template().set("database.url", DATABASE_URL).set("masterKey", MASTER_KEY);
	}

	private static RenderedChart render(TemplateCommand command) {
		return RenderedChart.parse(command.call());
	}

	/** NOTES.txt as a client-only dry-run install prints it ({@code helm template} does not render it). */
	private static String notes(InstallCommand install) {
		String output = install.withName(RELEASE).withNamespace(NAMESPACE).clientOnly().dryRun().call().getOutput();
		assertThat(output).contains("NOTES:");
		return output.substring(output.indexOf("NOTES:"));
	}

	private static Map<String, Object> annotations(RenderedChart chart) {
		return map(chart.podMetadata(), "annotations");
	}

	private Path valuesFile(String yaml) throws IOException {
		return Files.writeString(Files.createTempFile(this.tempDir, "values", ".yaml"), yaml);
	}

	private static String chartAppVersion() throws IOException {
		Map<String, Object> chart = new Yaml(new SafeConstructor(new LoaderOptions()))
			.load(Files.readString(CHART.resolve("Chart.yaml")));
		return (String) chart.get("appVersion");
	}

	private static String base64(String value) {
		return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] bytes(int[] values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

}
