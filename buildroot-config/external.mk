# Where this tree finds the rest of the project, named once for every package and script:
# - the files the appliance shares with the Debian-built images (node-image/appliance/, see its
#   README) and the JVM options the lab uses too (node-image/jvm/);
# - the jars of the project's Maven build: Buildroot does not run Maven, so `mvn -DskipTests
#   package` in the project's root comes first. Each service's module (gateway/, migration/)
#   leaves its jar in its target folder and every jar it needs in target/lib.
TERN_PROJECT_DIR = $(realpath $(BR2_EXTERNAL_TERN_PATH)/..)
TERN_APPLIANCE_DIR = $(TERN_PROJECT_DIR)/node-image/appliance
TERN_JVM_DIR = $(TERN_PROJECT_DIR)/node-image/jvm
# the project's version, from its parent pom: the packages' version in `make show-info`
TERN_PROJECT_VERSION = $(shell sed -n 's:^  <version>\(.*\)</version>:\1:p' $(TERN_PROJECT_DIR)/pom.xml)

# What both service packages are: a copy of the Maven build's output of the module $(2) (Buildroot
# does not build it), at the project's version.
define TERN_MAVEN_OUTPUT
$(1)_VERSION = $(TERN_PROJECT_VERSION)
$(1)_SITE = $(TERN_PROJECT_DIR)/$(2)/target
$(1)_SITE_METHOD = local
$(1)_LICENSE = Tern's own, and its dependencies' (Apache-2.0)
endef

# The class path of both services (the jars of /opt/tern/lib, spelled out in name order in
# /opt/tern/jvm/classpath, which the units read), from the copy of the Maven build's target folder
# in the package's build folder, and their JVM options; fails with the cause when the Maven build
# has not run.
define TERN_INSTALL_CLASS_PATH
	@test -n "$$(ls $(@D)/lib/*.jar 2>/dev/null)" || { \
		echo "tern: no jars in $($(PKG)_SITE)/lib: run 'mvn -DskipTests package' in $(TERN_PROJECT_DIR) first" >&2; \
		exit 1; }
	mkdir -p $(TARGET_DIR)/opt/tern/lib
	$(INSTALL) -m 0644 $(@D)/lib/*.jar $(TARGET_DIR)/opt/tern/lib/
	$(INSTALL) -D -m 0644 -t $(TARGET_DIR)/opt/tern/jvm \
		$(TERN_JVM_DIR)/common.options $(TERN_JVM_DIR)/emulated.options $(TERN_JVM_DIR)/environment
	ls $(TARGET_DIR)/opt/tern/lib/*.jar | LC_ALL=C sort | sed 's|^$(TARGET_DIR)||' | paste -sd: - \
		| sed 's/^/-cp /' > $(TARGET_DIR)/opt/tern/jvm/classpath
endef

# The units of an image and the preset that starts them: $(1) the preset, $(2) the units, all
# in node-image/appliance/systemd/ (quoted: a mount unit's name may hold a backslash)
define TERN_INSTALL_UNITS
	$(INSTALL) -D -m 0644 -t $(TARGET_DIR)/usr/lib/systemd/system \
		$(foreach u,$(2),'$(TERN_APPLIANCE_DIR)/systemd/$(u)')
	$(INSTALL) -D -m 0644 $(TERN_APPLIANCE_DIR)/systemd/$(1) \
		$(TARGET_DIR)/usr/lib/systemd/system-preset/$(1)
endef

include $(sort $(wildcard $(BR2_EXTERNAL_TERN_PATH)/package/*/*.mk))
