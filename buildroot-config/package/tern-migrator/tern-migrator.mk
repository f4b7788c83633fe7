################################################################################
#
# tern-migrator
#
################################################################################

# The Maven build's output (see external.mk)
$(eval $(call TERN_MAVEN_OUTPUT,TERN_MIGRATOR,migration))

define TERN_MIGRATOR_INSTALL_TARGET_CMDS
	$(TERN_INSTALL_CLASS_PATH)
	$(INSTALL) -m 0644 $(@D)/tern-migration-$(TERN_MIGRATOR_VERSION).jar \
		$(TARGET_DIR)/opt/tern/lib/
	$(INSTALL) -D -m 0644 $(TERN_JVM_DIR)/migrator.options \
		$(TARGET_DIR)/opt/tern/jvm/migrator.options
	$(INSTALL) -D -m 0755 $(TERN_APPLIANCE_DIR)/node/tern-node-identity.sh \
		$(TARGET_DIR)/opt/tern/sbin/tern-node-identity.sh
	$(INSTALL) -D -m 0644 $(TERN_APPLIANCE_DIR)/network/50-tern-node.conf \
		$(TARGET_DIR)/etc/sysctl.d/50-tern-node.conf
endef

define TERN_MIGRATOR_INSTALL_INIT_SYSTEMD
	$(call TERN_INSTALL_UNITS,50-tern-node.preset,\
		tern-migrator.service tern-node-identity.service var-tmp-tern\x2djobs.mount)
endef

$(eval $(generic-package))
