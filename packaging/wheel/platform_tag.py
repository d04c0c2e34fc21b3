"""Tags the wheel for what the binary needs, and nothing it does not: any Python 3 (there is no
Python in it), no ABI, and the platform the binary was linked for. `linux_<arch>`, not manylinux:
it links the system's libcurl and libzmq, which the manylinux policy does not allow."""
import platform

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PlatformTagHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        build_data["pure_python"] = False
        build_data["tag"] = f"py3-none-linux_{platform.machine()}"
