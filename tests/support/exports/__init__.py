"""Writers that turn a planned test sheet into the bytes a quiz platform would export."""
