"""Reports: a result as data (``Result.to_dict``) and as text.  Imports the law layer and below."""
