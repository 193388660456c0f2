package dev.vask.helm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes objects of one {@code helm template} run, parsed from the multi-document YAML helm prints.
 * Accessors navigate the generic maps SnakeYAML builds, so tests read like the manifests they check.
 */
record RenderedChart(List<Map<String, Object>> objects) {

	@SuppressWarnings("unchecked")
	static RenderedChart parse(String manifests) {
		var yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
		var objects = new ArrayList<Map<String, Object>>();
		for (Object document : yaml.loadAll(manifests)) {
			if (document != null) {
				objects.add((Map<String, Object>) document);
			}
		}
		return new RenderedChart(List.copyOf(objects));
	}

	List<Map<String, Object>> all(String kind) {
		return this.objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
	}

	Map<String, Object> one(String kind) {
		var matches = all(kind);
		assertThat(matches).as("rendered objects of kind %s", kind).hasSize(1);
		return matches.getFirst();
	}

	List<String> kinds() {
		return this.objects.stream().map((object) -> (String) object.get("kind")).toList();
	}

	Map<String, Object> podSpec() {
		return map(one("Deployment"), "spec", "template", "spec");
	}

	Map<String, Object> podMetadata() {
		return map(one("Deployment"), "spec", "template", "metadata");
	}

	Map<String, Object> container() {
		List<Map<String, Object>> containers = list(podSpec(), "containers");
		assertThat(containers).hasSize(1);
		return containers.getFirst();
	}

	/** The container's {@code env} entry with that name, or {@code null}. */
	Map<String, Object> env(String name) {
		List<Map<String, Object>> env = list(container(), "env");
		return env.stream().filter((entry) -> name.equals(entry.get("name"))).findFirst().orElse(null);
	}

	List<String> envNames() {
		List<Map<String, Object>> env = list(container(), "env");
		return env.stream().map((entry) -> (String) entry.get("name")).toList();
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Map<String, Object> root, String... path) {
		Object current = root;
		for (String key : path) {
			assertThat(current).as("parent of '%s' in %s", key, String.join(".", path)).isInstanceOf(Map.class);
			current = ((Map<String, Object>) current).get(key);
		}
		assertThat(current).as(String.join(".", path)).isInstanceOf(Map.class);
		return (Map<String, Object>) current;
	}

	@SuppressWarnings("unchecked")
	static <T> List<T> list(Map<String, Object> parent, String key) {
		Object value = parent.get(key);
		assertThat(value).as(key).isInstanceOf(List.class);
		return (List<T>) value;
	}

	static Object value(Map<String, Object> root, String... path) {
		var parentPath = Arrays.copyOf(path, path.length - 1);
		Map<String, Object> parent = (parentPath.length == 0) ? root : map(root, parentPath);
		return parent.get(path[path.length - 1]);
	}

}
