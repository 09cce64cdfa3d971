from jobkompas.cli import main

raise SystemExit(main())
