"""The external validators the tool runs: the W3C EPUBCheck and DAISY Ace."""
