"""bittensor-wallet oracle: writes plain and $NACL hotkeys from a mnemonic, or reads an encrypted keyfile.

{"path": dir, "mnemonic": str, "password": str} -> writes <dir>/plain/hotkeys/hk and <dir>/enc/hotkeys/hk
{"read": file, "password": str} -> {"ss58": address}
"""
import json
import sys

sys.dont_write_bytecode = True

from bittensor_wallet import Keyfile, Wallet

request = json.load(sys.stdin)
if "read" in request:
    keyfile = Keyfile(path=request["read"], name="hk")
    keyfile.decrypt(password=request["password"])
    print(json.dumps({"ss58": keyfile.keypair.ss58_address}))
else:
    plain = Wallet(name="plain", hotkey="hk", path=request["path"])
    plain.regenerate_hotkey(mnemonic=request["mnemonic"], use_password=False, overwrite=True, suppress=True)
    enc = Wallet(name="enc", hotkey="hk", path=request["path"])
    keypair = plain.hotkey
    enc.hotkey_file.set_keypair(keypair, encrypt=True, overwrite=True, password=request["password"])
    print(json.dumps({"ok": True}))
