"""One certificate: its DER, its facts, its decode row, its chain, its findings, forging."""
