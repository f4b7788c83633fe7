################################################################################
#
# tern-criu
#
################################################################################

# Fetched with git: the tag's commit is what the hash file pins (Buildroot makes the
# same archive from it everywhere).
TERN_CRIU_VERSION = v4.2
TERN_CRIU_SITE = https://github.com/checkpoint-restore/criu.git
TERN_CRIU_SITE_METHOD = git
TERN_CRIU_LICENSE = GPL-2.0, LGPL-2.1 (lib), MIT (images)
TERN_CRIU_LICENSE_FILES = COPYING images/LICENSE
TERN_CRIU_DEPENDENCIES = \
	host-pkgconf \
	host-protobuf-c \
	libcap \
	libnet \
	libnl \
	nftables \
	protobuf \
	protobuf-c \
	util-linux

TERN_CRIU_MAKE_ENV = \
	$(TARGET_MAKE_ENV) \
	$(TARGET_CONFIGURE_OPTS) \
	CROSS_COMPILE=$(TARGET_CROSS) \
	WERROR=0

ifeq ($(BR2_x86_64),y)
TERN_CRIU_MAKE_ENV += ARCH=x86
else ifeq ($(BR2_aarch64),y)
TERN_CRIU_MAKE_ENV += ARCH=aarch64
endif

# CRIU's images need descriptor.proto compiled for protobuf-c; its
# Makefile runs protoc against the build machine's /usr/include, so
# the C files are made here from the staging copy first.
define TERN_CRIU_DESCRIPTOR_PROTO
	$(HOST_DIR)/bin/protoc \
		--plugin=protoc-gen-c=$(HOST_DIR)/bin/protoc-gen-c \
		--proto_path=$(STAGING_DIR)/usr/include \
		--c_out=$(@D)/images \
		$(STAGING_DIR)/usr/include/google/protobuf/descriptor.proto
endef
TERN_CRIU_PRE_BUILD_HOOKS += TERN_CRIU_DESCRIPTOR_PROTO

define TERN_CRIU_BUILD_CMDS
	$(TERN_CRIU_MAKE_ENV) $(MAKE) -C $(@D) PREFIX=/usr criu
endef

define TERN_CRIU_INSTALL_TARGET_CMDS
	$(TERN_CRIU_MAKE_ENV) $(MAKE) -C $(@D) PREFIX=/usr \
		DESTDIR=$(TARGET_DIR) install-criu
endef

# What `criu check` asks of the kernel (board/tern/linux.fragment
# holds the rest: namespaces, soft-dirty tracking, userfaultfd).
define TERN_CRIU_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_CHECKPOINT_RESTORE)
endef

$(eval $(generic-package))
