enum TwitterPlaceholder {}
