enum BittensorPlaceholder {}
